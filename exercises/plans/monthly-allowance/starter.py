def monthly_connects(plan):
    """Connects credited each billing cycle on `plan`."""
    return 0
