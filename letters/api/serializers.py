"""The letters app's API serializers: a closing letter's metadata (status, approved version,
whether its PDF is ready to fetch), as read. The PDF itself is served as a file."""

from rest_framework import serializers

from letters.models import ClosingLetter


class ClosingLetterSerializer(serializers.ModelSerializer):
    approved_version_number = serializers.IntegerField(
        source="approved_version.number", read_only=True, allow_null=True
    )
    pdf_ready = serializers.SerializerMethodField()

    class Meta:
        model = ClosingLetter
        fields = [
            "id",
            "measure",
            "author",
            "status",
            "review_due_on",
            "approved_version_number",
            "approved_at",
            "sent_at",
            "created_at",
            "pdf_ready",
        ]

    def get_pdf_ready(self, letter: ClosingLetter) -> bool:
        return bool(getattr(letter, "pdf_ready", False))
