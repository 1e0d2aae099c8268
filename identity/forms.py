from django import forms

from partners.models import Organisation

from .models import Scope


class TokenForm(forms.Form):
    name = forms.CharField(max_length=100, help_text="What it is for, e.g. “Timetable sync”.")
    scopes = forms.MultipleChoiceField(choices=Scope.choices, widget=forms.CheckboxSelectMultiple,
                                       help_text="What the token may do; never more than your own roles allow.")
    organisation = forms.ModelChoiceField(
        Organisation.objects.order_by("name"), required=False,
        help_text="Administrators: choose an organisation to make its service token (e.g. for its e-learning "
                  "platform). Leave empty for a personal token.")

    def __init__(self, *args, admin: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not admin:
            del self.fields["organisation"]
