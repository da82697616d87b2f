from datetime import date


def next_refill(billing_day, today):
    """The first date strictly after `today` on which monthly Connects arrive."""
    return today
