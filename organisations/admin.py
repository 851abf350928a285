"""Organisations in the admin: merge several into one, split partners off into a new one."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coconnect.forms import Form, ModelForm
from trajectories.models import Partner

from . import services
from .models import Coordinator, Organisation


class CoordinatorInline(admin.TabularInline):
    model = Coordinator
    form = ModelForm
    extra = 0
    autocomplete_fields = ["user"]
    readonly_fields = ["invited_by", "created_at"]
    fk_name = "organisation"


class PartnerInline(admin.TabularInline):
    model = Partner
    fields = ["name", "trajectory", "kind"]
    readonly_fields = ["name", "trajectory", "kind"]
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


class MergeForm(Form):
    into = forms.ModelChoiceField(
        label=gettext_lazy("Keep this organisation"),
        queryset=Organisation.objects.none(),
        help_text=gettext_lazy(
            "The partners and coordinators of the others move to it; the others are deleted."
        ),
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["into"].queryset = organisations


class SplitForm(Form):
    name = forms.CharField(
        label=gettext_lazy("Name of the new organisation"),
        max_length=Organisation._meta.get_field("name").max_length,
    )
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=Partner.Kind.choices)
    partners = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Partners that move to the new organisation"),
        queryset=Partner.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partners"].queryset = organisation.partners.select_related("trajectory")
        self.fields["partners"].label_from_instance = lambda p: f"{p.name} – {p.trajectory.name}"
        self.fields["kind"].initial = organisation.kind


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    form = ModelForm
    list_display = ["name", "kind", "created_at"]
    list_filter = ["kind"]
    search_fields = ["name"]
    inlines = [PartnerInline, CoordinatorInline]
    actions = ["merge"]

    def get_urls(self):
        return [
            path(
                "<int:pk>/split/",
                self.admin_site.admin_view(self.split_view),
                name="organisations_organisation_split",
            ),
        ] + super().get_urls()

    @admin.action(description=gettext_lazy("Merge the selected organisations into one"))
    def merge(self, request, queryset):
        organisations = queryset.order_by("name", "pk")
        if organisations.count() < 2:
            self.message_user(
                request, _("Choose at least two organisations to merge."), messages.WARNING
            )
            return None
        form = MergeForm(
            request.POST if "into" in request.POST else None, organisations=organisations
        )
        if form.is_bound and form.is_valid():
            try:
                moved = services.organisations_merge(
                    into=form.cleaned_data["into"], others=list(organisations)
                )
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
                return None
            self.message_user(
                request,
                _("Merged into %(name)s; %(count)d partners moved.")
                % {"name": form.cleaned_data["into"].name, "count": moved},
                messages.SUCCESS,
            )
            return None
        return TemplateResponse(
            request,
            "admin/organisations/merge.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "form": form,
                "organisations": organisations,
                "title": _("Merge organisations"),
            },
        )

    def split_view(self, request, pk):
        organisation = self.get_object(request, str(pk))
        if organisation is None or not self.has_change_permission(request, organisation):
            return redirect("admin:organisations_organisation_changelist")
        form = SplitForm(request.POST or None, organisation=organisation)
        if request.method == "POST" and form.is_valid():
            try:
                new = services.organisation_split(
                    organisation=organisation,
                    partners=list(form.cleaned_data["partners"]),
                    name=form.cleaned_data["name"],
                    kind=form.cleaned_data["kind"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                self.message_user(
                    request, _("%(name)s has been made.") % {"name": new.name}, messages.SUCCESS
                )
                return redirect(reverse("admin:organisations_organisation_change", args=[new.pk]))
        return TemplateResponse(
            request,
            "admin/organisations/split.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "original": organisation,
                "form": form,
                "title": _("Split %(name)s") % {"name": organisation.name},
            },
        )


@admin.register(Coordinator)
class CoordinatorAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "invited_by", "created_at"]
    search_fields = ["user__username", "user__email", "organisation__name"]
    autocomplete_fields = ["user", "organisation"]
    readonly_fields = ["invited_by", "created_at"]
