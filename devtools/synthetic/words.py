"""The invented words of synthetic data: departments, places, people, findings and the prose of
plans and reports."""

from __future__ import annotations

from inspections.models import Severity
from units.models import Agency

# The departments of a province on the national model of July 2025: code (also the
# abbreviation), name, short name, kind, parent's code.
DEPARTMENTS = [
    ("SNV", "Sở Nội vụ", "Nội vụ", Agency.Kind.DEPARTMENT, ""),
    ("STP", "Sở Tư pháp", "Tư pháp", Agency.Kind.DEPARTMENT, ""),
    ("STC", "Sở Tài chính", "Tài chính", Agency.Kind.DEPARTMENT, ""),
    ("SXD", "Sở Xây dựng", "Xây dựng", Agency.Kind.DEPARTMENT, ""),
    ("SNNMT", "Sở Nông nghiệp và Môi trường", "Nông nghiệp và Môi trường",
     Agency.Kind.DEPARTMENT, ""),
    ("SKHCN", "Sở Khoa học và Công nghệ", "Khoa học và Công nghệ", Agency.Kind.DEPARTMENT, ""),
    ("SVHTTDL", "Sở Văn hóa, Thể thao và Du lịch", "Văn hóa, Thể thao và Du lịch",
     Agency.Kind.DEPARTMENT, ""),
    ("SGDĐT", "Sở Giáo dục và Đào tạo", "Giáo dục và Đào tạo", Agency.Kind.DEPARTMENT, ""),
    ("SYT", "Sở Y tế", "Y tế", Agency.Kind.DEPARTMENT, ""),
    ("SCT", "Sở Công Thương", "Công Thương", Agency.Kind.DEPARTMENT, ""),
    ("SDTTG", "Sở Dân tộc và Tôn giáo", "Dân tộc và Tôn giáo", Agency.Kind.DEPARTMENT, ""),
    ("TTr", "Thanh tra tỉnh", "Thanh tra tỉnh", Agency.Kind.INSPECTORATE, ""),
    ("VPUBND", "Văn phòng Ủy ban nhân dân tỉnh", "Văn phòng UBND tỉnh", Agency.Kind.OFFICE, ""),
    ("TTPVHCC", "Trung tâm Phục vụ hành chính công tỉnh", "Trung tâm Phục vụ hành chính công",
     Agency.Kind.CENTRE, "VPUBND"),
]  # fmt: skip
REPORTING_DEPARTMENTS = ("STP", "STC", "SYT")  # departments whose reporter has an account
TEAM_AGENCIES = ("SNV", "STP", "STC", "SKHCN", "VPUBND")

PLACE_FIRST = ["An", "Bình", "Tân", "Phú", "Long", "Mỹ", "Vĩnh", "Hòa", "Thạnh", "Phước",
               "Hưng", "Thuận", "Đông", "Tây", "Nam", "Bắc", "Trung", "Hiệp", "Định", "Lộc",
               "Thới", "Khánh", "Sơn", "Quang"]  # fmt: skip
PLACE_SECOND = ["An", "Bình", "Hòa", "Lợi", "Phú", "Thành", "Hưng", "Lộc", "Thạnh", "Đông",
                "Tây", "Hiệp", "Điền", "Khánh", "Thuận", "Quới", "Mỹ", "Hải", "Lâm",
                "Sơn"]  # fmt: skip
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Hoàng", "Võ", "Phan", "Trương", "Bùi",
          "Đặng", "Đỗ", "Ngô", "Hồ", "Dương", "Lâm"]  # fmt: skip
MIDDLE = ["Văn", "Thị", "Minh", "Thanh", "Quốc", "Ngọc", "Hoàng", "Hữu", "Thu", "Kim"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Hùng", "Hạnh", "Lan", "Long", "Mai", "Nam", "Nhân",
         "Phúc", "Quang", "Sơn", "Tâm", "Thảo", "Trung", "Tuấn", "Việt", "Yến"]  # fmt: skip

# Findings per content area (1–7 of NQ 76/NQ-CP): strengths, and shortcomings with the
# recommendation that answers them.
STRENGTHS = {
    1: ["Ban hành kế hoạch cải cách hành chính năm kịp thời, phân công rõ trách nhiệm.",
        "Người đứng đầu trực tiếp chỉ đạo, kiểm tra công tác cải cách hành chính."],
    2: ["Rà soát, kiểm tra văn bản quy phạm pháp luật đúng kế hoạch.",
        "Phổ biến, giáo dục pháp luật với nhiều hình thức phù hợp."],
    3: ["Công bố, công khai đầy đủ thủ tục hành chính tại Bộ phận Một cửa.",
        "Tỷ lệ hồ sơ giải quyết đúng hạn đạt trên 98%."],
    4: ["Sắp xếp tổ chức bộ máy đúng lộ trình, không để gián đoạn công việc.",
        "Ban hành đầy đủ quy chế làm việc sau khi sắp xếp tổ chức bộ máy."],
    5: ["Tuyển dụng, bổ nhiệm công chức đúng quy định.",
        "Cán bộ, công chức chấp hành tốt kỷ luật, kỷ cương hành chính."],
    6: ["Thực hiện cơ chế tự chủ tài chính đúng quy định.",
        "Công khai dự toán, quyết toán ngân sách đầy đủ, đúng hạn."],
    7: ["Cập nhật hồ sơ lên Hệ thống thông tin giải quyết thủ tục hành chính đầy đủ.",
        "Sử dụng chữ ký số trong gửi, nhận văn bản điện tử đạt 100%."],
}  # fmt: skip
SHORTCOMINGS = {
    1: [("Chưa ban hành kế hoạch kiểm tra công tác cải cách hành chính nội bộ.",
         "Ban hành kế hoạch kiểm tra cải cách hành chính nội bộ, báo cáo kết quả về Sở Nội vụ."),
        ("Báo cáo định kỳ về cải cách hành chính còn chậm so với thời hạn.",
         "Chấn chỉnh việc gửi báo cáo định kỳ đúng thời hạn quy định.")],
    2: [("Chưa rà soát, đánh giá văn bản quy phạm pháp luật theo kế hoạch.",
         "Tổ chức rà soát văn bản quy phạm pháp luật, báo cáo kết quả về Sở Tư pháp."),
        ("Hồ sơ theo dõi tình hình thi hành pháp luật chưa đầy đủ.",
         "Bổ sung hồ sơ theo dõi tình hình thi hành pháp luật.")],
    3: [("Còn hồ sơ trễ hạn nhưng chưa có văn bản xin lỗi người dân.",
         "Gửi văn bản xin lỗi người dân đối với hồ sơ trễ hạn; báo cáo kết quả khắc phục."),
        ("Niêm yết thủ tục hành chính tại Bộ phận Một cửa chưa cập nhật.",
         "Cập nhật, niêm yết đầy đủ thủ tục hành chính theo quyết định công bố mới nhất.")],
    4: [("Chưa cập nhật vị trí việc làm sau khi sắp xếp tổ chức bộ máy.",
         "Điều chỉnh đề án vị trí việc làm, trình cấp có thẩm quyền phê duyệt."),
        ("Quy chế làm việc chưa sửa đổi theo chức năng, nhiệm vụ mới.",
         "Sửa đổi quy chế làm việc phù hợp chức năng, nhiệm vụ được giao.")],
    5: [("Chưa đánh giá, xếp loại công chức theo quy định.",
         "Tổ chức đánh giá, xếp loại công chức đúng quy trình, thời hạn."),
        ("Hồ sơ cán bộ, công chức chưa được cập nhật đầy đủ.",
         "Rà soát, cập nhật hồ sơ cán bộ, công chức.")],
    6: [("Chưa thực hiện công khai tài chính theo quy định.",
         "Thực hiện công khai tài chính đúng thời hạn, nội dung theo quy định."),
        ("Quy chế chi tiêu nội bộ chưa được sửa đổi, bổ sung.",
         "Sửa đổi, bổ sung quy chế chi tiêu nội bộ.")],
    7: [("Tỷ lệ hồ sơ trực tuyến toàn trình còn thấp.",
         "Đẩy mạnh hướng dẫn người dân nộp hồ sơ trực tuyến toàn trình."),
        ("Chưa số hóa hồ sơ, kết quả giải quyết thủ tục hành chính.",
         "Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính theo quy định.")],
}  # fmt: skip
GOOD_MODELS = [
    "Mô hình “Cà phê doanh nghiệp” đối thoại định kỳ với doanh nghiệp.",
    "Tổ công nghệ số cộng đồng hỗ trợ người dân nộp hồ sơ trực tuyến tại ấp.",
    "Số hóa 100% hồ sơ, kết quả giải quyết thủ tục hành chính còn hiệu lực.",
    "Trả kết quả thủ tục hành chính tại nhà cho người cao tuổi.",
]
SEVERITIES = [Severity.MINOR] * 5 + [Severity.MODERATE] * 3 + [Severity.SERIOUS] * 2
SUMMARY = (
    "Thực hiện Kế hoạch số {plan}, Sở Nội vụ đã tham mưu thành lập {teams:02d} Đoàn kiểm tra; "
    "các Đoàn đã kiểm tra {visits} cơ quan, đơn vị, địa phương theo Kế hoạch."
)
ASSESSMENT = (
    "Các cơ quan, đơn vị, địa phương đã quan tâm chỉ đạo, triển khai nhiệm vụ cải cách hành "
    "chính; cải cách thủ tục hành chính có chuyển biến tích cực.\nTuy nhiên, một số nơi còn "
    "chậm rà soát văn bản, còn hồ sơ trễ hạn chưa xin lỗi người dân, tỷ lệ hồ sơ trực tuyến "
    "toàn trình còn thấp."
)
PROPOSALS = (
    "Chỉ đạo các cơ quan, đơn vị khắc phục tồn tại theo thông báo kết luận, báo cáo kết quả về "
    "Sở Nội vụ.\nBiểu dương, nhân rộng các mô hình hay, cách làm mới đã được ghi nhận.\nĐưa các "
    "đơn vị chưa khắc phục xong vào danh sách phúc tra năm sau."
)
RECIPIENTS = (
    "Bộ Nội vụ (để b/c);\nTT. Tỉnh ủy;\nTT. HĐND tỉnh;\nCT và các PCT. UBND tỉnh;\n"
    "Các sở, ban, ngành tỉnh;\nUBND các xã, phường;\nLĐVP, P. NC;\nTT. PVHCC tỉnh;"
)
GENERIC_CONTENT = (
    "Kết quả thực hiện Chương trình tổng thể cải cách hành chính nhà nước giai đoạn 2021–2030 "
    "và Kế hoạch cải cách hành chính năm [năm] của Ủy ban nhân dân tỉnh."
)
