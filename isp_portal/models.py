"""The portal's own tables: the plumbing every app may use."""

from isp_portal.idempotency import Submission

__all__ = ["Submission"]
