import json

from django.core.management.base import BaseCommand

from dpia.engine.bank import default_bank
from dpia.engine.schema import answers_schema


class Command(BaseCommand):
    help = "Print the JSON Schema of an answers file for the current question bank."

    def handle(self, *args, **options):
        self.stdout.write(json.dumps(answers_schema(default_bank()), indent=2, ensure_ascii=False))
