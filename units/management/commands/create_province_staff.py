"""Create the first Home Affairs staff account of a province (any province of the registry)."""

from __future__ import annotations

import getpass
import os

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from units.models import AdministrativeUnit, Agency, Level, Membership, Role, today

# The name of the environment variable that holds the password, not a password.
PASSWORD_VARIABLE = "CCHC_STAFF_PASSWORD"  # nosec B105


class Command(BaseCommand):
    help = (
        "Tạo tài khoản chuyên viên Sở Nội vụ đầu tiên của một tỉnh, ví dụ: "
        "create_province_staff noivu-nghean --province 40. Mật khẩu được hỏi hai lần "
        f"(hoặc lấy từ biến môi trường {PASSWORD_VARIABLE} với --noinput)."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--province", required=True, help="Mã tỉnh hiện hành, ví dụ 40")
        parser.add_argument("--full-name", default="", help="Họ và tên, ví dụ “Nguyễn Văn An”")
        parser.add_argument("--email", default="")
        parser.add_argument("--noinput", action="store_true")

    def handle(self, *args, username, province, full_name, email, noinput, **options):
        day = today()
        unit = (
            AdministrativeUnit.objects.valid_on(day)
            .filter(level=Level.PROVINCE, code=province)
            .first()
        )
        if unit is None:
            raise CommandError(
                f"Không có tỉnh mã {province} còn hiệu lực hôm nay: nạp danh mục "
                "(load_national_registry) hoặc kiểm tra mã tỉnh."
            )
        agency = Agency.objects.valid_on(day).filter(unit=unit, code="SNV").first()
        if agency is None:
            raise CommandError(
                f"{unit.name} chưa có Sở Nội vụ (mã SNV) còn hiệu lực: nạp danh mục cơ quan trước."
            )
        User = get_user_model()
        if User.objects.filter(username=username).exists():
            raise CommandError(f"Đã có tài khoản “{username}”: chọn tên khác.")
        last, _sep, first = full_name.strip().rpartition(" ")
        user = User(username=username, email=email, first_name=first, last_name=last)
        password = self._password(user, noinput)
        with transaction.atomic():
            user.set_password(password)
            user.save()
            Membership.objects.create(
                user=user, role=Role.STAFF, province=unit, agency=agency, title="Chuyên viên"
            )
        self.stdout.write(f"Đã tạo tài khoản {username}: chuyên viên {agency.name} {unit.name}.")

    def _password(self, user, noinput: bool) -> str:
        if noinput:
            password = os.environ.get(PASSWORD_VARIABLE, "")
            if not password:
                raise CommandError(f"Với --noinput, đặt mật khẩu trong biến {PASSWORD_VARIABLE}.")
        else:
            password = getpass.getpass("Mật khẩu: ")
            if password != getpass.getpass("Nhập lại mật khẩu: "):
                raise CommandError("Hai lần nhập mật khẩu không khớp: chạy lại lệnh.")
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        return password
