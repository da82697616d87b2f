def monthly_cost(plan, need):
    """Dollars a month for `need` Connects on `plan`: its price plus the Connects to buy."""
    return 0.0


def plus_premium(need):
    """Dollars a month Freelancer Plus costs more than Freelancer Basic for `need` Connects."""
    return 0.0
