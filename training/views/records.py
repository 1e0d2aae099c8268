"""Records after the day: course history and evaluations, certificates, feedback, my training."""


from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone

from .. import certificates, exports, forms, permissions, selectors, services
from ..errors import TrainingError
from ._common import _download, _error_message


@login_required
def course_history_export(request, pk: int):
    course = permissions.get_course_records_for(request.user, pk)
    return _download(exports.course_history_csv(bookings=selectors.course_history(course=course)),
                     content_type="text/csv", filename=f"course-history-{course.code}.csv".replace(" ", "-"))


@login_required
def course_evaluations(request, pk: int):
    course = permissions.get_course_records_for(request.user, pk)
    return render(request, "training/evaluation_course.html", {
        "course": course,
        "summary": selectors.evaluation_summary(selectors.evaluations_of_course(course=course)),
        "sessions": selectors.course_sessions_evaluated(course=course),
    })


@login_required
def certificate_download(request, pk: int):
    completion = permissions.get_completion_for(request.user, pk)
    return _download(certificates.certificate_pdf(completion), content_type="application/pdf",
                     filename=certificates.certificate_filename(completion))


@login_required
def evaluation_create(request, pk: int):
    booking = permissions.get_attended_booking_for(request.user, pk)
    existing = getattr(booking, "evaluation", None)
    form = forms.EvaluationForm(request.POST or None)
    if existing is None and request.method == "POST" and form.is_valid():
        try:
            services.evaluation_submit(booking=booking, by=request.user, rating=form.cleaned_data["rating"],
                                       comments=form.cleaned_data["comments"])
        except TrainingError as error:
            _error_message(request, error)
        else:
            messages.success(request, "Thank you for your feedback.")
            return redirect("training:my_training")
    return render(request, "training/evaluation_form.html", {
        "booking": booking, "session": booking.session, "form": form, "existing": existing,
    })


@login_required
def my_training(request):
    return render(request, "training/my_training.html", {
        "version": selectors.my_training_version(person=request.user),
        "my": selectors.MyTraining(person=request.user, today=timezone.localdate()),
    })
