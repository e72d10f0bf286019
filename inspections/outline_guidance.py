"""What a unit reports under each content area, in the outline sent with the plan: the matters to
describe and the figures to give. Staff edit it per plan on the outline page; it is stored with
the outline (`Outline.area_guidance`, by content area), copied with the plan and printed in the
covering letter's appendix (`reports.outline_document`). An area without its own text takes the
default below."""

from __future__ import annotations

from inspections.models import ContentArea, Outline, Plan, PlanItem

# What a unit reports under each content area of the 2021–2030 programme (Resolution 76/NQ-CP),
# by the area's number: the matters to describe, then the figures to give.
DEFAULT_AREA_GUIDANCE: dict[int, tuple[str, list[str]]] = {
    1: (
        "Việc ban hành và thực hiện kế hoạch cải cách hành chính năm, kế hoạch tự kiểm tra; "
        "tuyên truyền; gắn kết quả cải cách hành chính với thi đua, khen thưởng; xử lý trách "
        "nhiệm người đứng đầu.",
        ["Số nhiệm vụ trong kế hoạch cải cách hành chính năm; số đã hoàn thành"],
    ),
    2: (
        "Việc xây dựng, ban hành, rà soát, kiểm tra văn bản quy phạm pháp luật thuộc thẩm quyền; "
        "theo dõi thi hành pháp luật.",
        ["Số văn bản quy phạm pháp luật đã ban hành; số văn bản đã rà soát; số văn bản phải xử lý"],
    ),
    3: (
        "Việc công bố, công khai thủ tục hành chính; thực hiện cơ chế một cửa, một cửa liên "
        "thông; giải quyết hồ sơ, xin lỗi người dân khi trễ hạn; tiếp nhận, xử lý phản ánh, "
        "kiến nghị.",
        [
            "Tổng số hồ sơ tiếp nhận; số giải quyết đúng hạn; số trễ hạn; số văn bản xin lỗi",
            "Số phản ánh, kiến nghị tiếp nhận; số đã xử lý",
        ],
    ),
    4: (
        "Việc sắp xếp tổ chức bộ máy; quy định chức năng, nhiệm vụ; thực hiện đề án vị trí việc "
        "làm; phân cấp, ủy quyền.",
        ["Số phòng, ban, đơn vị trực thuộc; số đầu mối giảm trong năm"],
    ),
    5: (
        "Việc tuyển dụng, sử dụng, đánh giá, xếp loại cán bộ, công chức, viên chức; thực hiện "
        "kỷ luật, kỷ cương hành chính và văn hóa công vụ.",
        ["Số cán bộ, công chức, viên chức; số bị xử lý kỷ luật trong năm"],
    ),
    6: (
        "Việc thực hiện cơ chế tự chủ tài chính; công khai ngân sách; quản lý, sử dụng tài sản "
        "công.",
        ["Số đơn vị sự nghiệp công lập tự chủ tài chính; số đơn vị đã công khai ngân sách"],
    ),
    7: (
        "Việc ứng dụng công nghệ thông tin; cung cấp dịch vụ công trực tuyến; gửi, nhận văn bản "
        "điện tử và sử dụng chữ ký số; số hóa hồ sơ, kết quả giải quyết thủ tục hành chính.",
        [
            "Số dịch vụ công trực tuyến toàn trình; tỷ lệ hồ sơ nộp trực tuyến (%)",
            "Tỷ lệ văn bản gửi, nhận dưới dạng điện tử (%)",
        ],
    ),
}


def plan_areas(plan: Plan) -> list[ContentArea]:
    """The content areas the plan names in its points, else every area of the programme."""
    chosen = {
        area.pk: area
        for item in PlanItem.objects.filter(plan=plan).prefetch_related("content_areas")
        for area in item.content_areas.all()
    }
    if chosen:
        return sorted(chosen.values(), key=lambda a: a.number)
    return list(ContentArea.objects.order_by("framework", "number"))


def area_guidance(outline: Outline, area: ContentArea) -> tuple[str, list[str]]:
    """(what to report, the figures to give) under `area`: the outline's own, else the default."""
    own = (outline.area_guidance or {}).get(str(area.pk))
    if own is not None:
        return own.get("what", ""), list(own.get("figures", []))
    what, figures = DEFAULT_AREA_GUIDANCE.get(area.number, ("", []))
    return what, list(figures)
