import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coconnect.settings")

django_application = get_asgi_application()

# The live workshop doorbell (SSE and version polls) is served outside Django's middleware,
# so it touches neither the session nor the database.
from workshops.asgi import live_router  # noqa: E402

from .security import secured  # noqa: E402

# The live endpoints answer in front of Django's middleware: the host check and the security
# headers are applied around them too.
application = secured(live_router(django_application))

# Without a broker, this process also runs the scheduled jobs when they are due.
from .schedule import start_in_background  # noqa: E402

start_in_background()
