def monthly_connects(plan):
    """Connects credited each billing cycle on `plan`."""
    return RULES[f"plan.{plan}.monthly_connects"]
