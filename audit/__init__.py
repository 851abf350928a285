"""The trajectory-wide audit log. `audit.record(...)` is `audit.services.record`."""


def record(**kwargs):
    # Imported on call: models are not ready when this package is first imported.
    from .services import record as _record

    return _record(**kwargs)
