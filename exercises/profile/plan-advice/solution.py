def monthly_cost(plan, need):
    """Dollars a month for `need` Connects on `plan`: its price plus the Connects to buy."""
    to_buy = max(0, need - RULES[f"plan.{plan}.monthly_connects"])
    return RULES[f"plan.{plan}.price_usd"] + to_buy * RULES["purchase.price_per_connect_usd"]


def plus_premium(need):
    """Dollars a month Freelancer Plus costs more than Freelancer Basic for `need` Connects."""
    return monthly_cost("plus", need) - monthly_cost("basic", need)
