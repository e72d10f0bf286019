"""Load the reference plan 23/KH-UBND (Kiên Giang, 2023) through the real workflow.

The plan is drafted by `noivu`, approved by `lanhdao` and issued with its historical number, so
the demo shows a complete timeline. Skipped when the plan is already there.
"""

from __future__ import annotations

import datetime
import json
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from inspections import services
from inspections.models import (
    ContentArea,
    LegalDocument,
    Plan,
    PlanBasis,
    PlanItem,
    PlanTeamAgency,
    TargetKind,
)
from units.services import agency_by_ref

SEED = settings.BASE_DIR / "fixtures" / "plans" / "kh-23-ubnd-2023-kien-giang.json"


class Command(BaseCommand):
    help = "Nạp kế hoạch mẫu 23/KH-UBND năm 2023 của tỉnh Kiên Giang (bỏ qua nếu đã có)."

    def handle(self, *args, **options):
        data = json.loads(SEED.read_text(encoding="utf-8"))
        day = datetime.date.fromisoformat(data["document_date"])
        issuer = agency_by_ref(data["issuer"], day)
        if Plan.objects.filter(issuer=issuer, year=data["year"], number=data["number"]).exists():
            self.stdout.write("Kế hoạch mẫu đã có.")
            return
        users = get_user_model().objects
        try:
            drafter = users.get(username=data["drafted_by"])
            approver = users.get(username=data["approved_by"])
        except get_user_model().DoesNotExist:
            raise CommandError("Thiếu tài khoản mẫu: chạy load_demo_users trước.") from None
        with transaction.atomic():
            plan = self._draft(data, issuer, day, drafter)
            services.plan_submit(plan=plan, by=drafter)
            services.plan_approve(plan=plan, by=approver)
            services.plan_issue(plan=plan, by=drafter, number=data["number"])
        self.stdout.write(f"Kế hoạch mẫu: {plan}")

    def _draft(self, data, issuer, day, by) -> Plan:
        plan = services.plan_create(
            by=by,
            issuer=issuer,
            year=data["year"],
            symbol=data["symbol"],
            place=data["place"],
            document_date=day,
            summary=data["summary"],
            preamble=data["preamble"],
            closing=data["closing"],
            communes_per_district=data["communes_per_district"],
            self_inspection_threshold=Decimal(data["self_inspection_threshold"]),
            self_report_deadline=datetime.date.fromisoformat(data["self_report_deadline"]),
            period_text=data["period_text"],
            standing_agency=agency_by_ref(data["standing_agency"], day),
            budget_note=data["budget_note"],
            signing_authority=data["signing_authority"],
            signing_capacity=data["signing_capacity"],
            signer_title=data["signer_title"],
            signer_name=data["signer_name"],
            recipients="\n".join(data["recipients"]),
            archive_initials=data["archive_initials"],
            archive_copies=data["archive_copies"],
        )
        documents = {}
        for doc in data["legal_documents"]:
            key = doc.pop("key")
            documents[key], _ = LegalDocument.objects.get_or_create(
                province=plan.province,
                number=doc["number"],
                symbol=doc["symbol"],
                issued_on=datetime.date.fromisoformat(doc["issued_on"]),
                defaults={k: doc[k] for k in ("kind", "issuer_name", "title")},
            )
        for order, key in enumerate(data["bases"]):
            PlanBasis.objects.create(plan=plan, document=documents[key], order=order)
        for order, ref in enumerate(data["team_agencies"]):
            PlanTeamAgency.objects.create(plan=plan, agency=agency_by_ref(ref, day), order=order)
        self._items(plan, data["items"], None, documents)
        for kind in (TargetKind.INSPECTION, TargetKind.REINSPECTION):
            services.plan_targets_add(
                plan=plan,
                agencies=[
                    agency_by_ref(t["agency"], day) for t in data["targets"] if t["kind"] == kind
                ],
                kind=kind,
                follow_up_reference=data["follow_up_reference"]
                if kind == TargetKind.REINSPECTION
                else "",
            )
        return plan

    def _items(self, plan, items, parent, documents) -> None:
        for order, spec in enumerate(items):
            item = PlanItem.objects.create(
                plan=plan,
                parent=parent,
                order=order,
                heading=spec.get("heading", ""),
                text=spec.get("text", ""),
                generated=spec.get("generated", ""),
            )
            item.references.set(documents[k] for k in spec.get("references", []))
            item.content_areas.set(
                ContentArea.objects.filter(
                    framework__code="NQ76-2021", number__in=spec.get("content_areas", [])
                )
            )
            self._items(plan, spec.get("children", []), item, documents)
