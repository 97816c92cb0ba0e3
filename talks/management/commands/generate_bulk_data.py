import time

from django.core.management.base import BaseCommand, CommandError

from talks.services.bulk import generate_bulk_events


class Command(BaseCommand):
    help = "Add synthetic talk events in bulk for benchmarks (run load_demo_data first)."

    def add_arguments(self, parser):
        parser.add_argument("--events", type=int, required=True, help="How many events to add.")
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1).")

    def handle(self, *args, events: int, seed: int, **options):
        if not 1 <= events <= 5_000_000:
            raise CommandError("--events must be between 1 and 5,000,000.")
        started = time.perf_counter()
        try:
            added = generate_bulk_events(events=events, seed=seed)
        except ValueError as error:
            raise CommandError(str(error)) from error
        elapsed = time.perf_counter() - started
        self.stdout.write(self.style.SUCCESS(f"Added {added:,} events in {elapsed:.1f} s."))
