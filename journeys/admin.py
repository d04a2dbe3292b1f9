from django.contrib import admin

from journeys.models import ApiToken, CodeMapping, Submission


@admin.register(CodeMapping)
class CodeMappingAdmin(admin.ModelAdmin):
    list_display = ["body", "table", "column", "local_code", "standard_code", "updated_at"]
    list_filter = ["table", "body"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["body", "name", "prefix", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["token_hash", "prefix", "created_at", "last_used_at"]


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    list_display = [
        "pk",
        "body",
        "file_name",
        "table",
        "status",
        "accepted",
        "rejected",
        "unchanged",
        "corrected",
    ]
    list_filter = ["status", "table", "source"]

    def has_change_permission(self, request, obj=None):
        return False
