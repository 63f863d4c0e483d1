"""One record per submitted form that creates something, so the same form posted twice
(a double click, pressing the button five times, a browser retry, the back button) makes
one thing and every later post finds it.

A creating form carries a ``submission_token`` (``isp_portal.forms.submission_token_field``),
a fresh UUID on every blank form and kept on a form shown again with errors. Its service
calls ``create_once`` inside its transaction: the first post claims the token and creates;
a later one finds what the first made. The token is unique, so of two posts at once the
second waits for the first to commit and then finds its object. A post whose token belongs
to another person or another kind of form is refused as out of date.

The table holds no personal data: the token, who posted it, the kind of object and its id.
"""

import uuid
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction

OUT_OF_DATE = "The page was out of date. Check your answers and submit the form again"


class Submission(models.Model):
    token = models.UUIDField(unique=True, editable=False)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # The model that was created, as app_label.ModelName, and its primary key.
    kind = models.CharField(max_length=100)
    object_id = models.PositiveBigIntegerField(null=True)
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "isp_portal"

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}"


def _kind(model: type[models.Model]) -> str:
    return f"{model._meta.app_label}.{model.__name__}"


def create_once[M: models.Model](
    model: type[M],
    *,
    token: uuid.UUID | None,
    actor: Any,
    create: Callable[[], M],
) -> tuple[M, bool]:
    """``create()``'s object and True, or, when this form was posted before, what the first
    post created and False. Call it inside the service's ``transaction.atomic()``: a post
    that fails later rolls its claim back with everything else, so the token stays free.
    Without a token (a caller that is not a form) it simply creates."""
    if token is None:
        return create(), True
    kind = _kind(model)
    try:
        with transaction.atomic():
            claim = Submission.objects.create(token=token, actor_id=actor.pk, kind=kind)
    except IntegrityError:
        earlier = Submission.objects.filter(token=token).first()
        if earlier is None or earlier.actor_id != actor.pk or earlier.kind != kind:
            raise ValidationError(OUT_OF_DATE) from None
        found = model._default_manager.filter(pk=earlier.object_id).first()
        if found is None:
            # Made and since removed: the form cannot be posted again.
            raise ValidationError(OUT_OF_DATE) from None
        return found, False
    made = create()
    claim.object_id = made.pk
    claim.save(update_fields=["object_id"])
    return made, True


def made_before[M: models.Model](model: type[M], *, token: Any, actor: Any) -> M | None:
    """What an earlier post of this form made, if any: for a view whose form would refuse
    the repeat before its service is reached (a unique username already taken by the
    first post), so the repeat is answered as the first was."""
    try:
        token = uuid.UUID(str(token))
    except ValueError:
        return None
    earlier = Submission.objects.filter(token=token, actor_id=actor.pk, kind=_kind(model)).first()
    if earlier is None:
        return None
    return model._default_manager.filter(pk=earlier.object_id).first()
