import os

from django.core.wsgi import get_wsgi_application

from config.cli import refuse_to_serve_offline

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
refuse_to_serve_offline()
application = get_wsgi_application()
