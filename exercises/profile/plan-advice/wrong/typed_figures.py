def monthly_cost(plan, need):
    allowance = {"basic": {{ plan.basic.monthly_connects }}, "plus": {{ plan.plus.monthly_connects }}}[plan]
    price = {"basic": {{ plan.basic.price_usd }}, "plus": {{ plan.plus.price_usd }}}[plan]
    return price + max(0, need - allowance) * {{ purchase.price_per_connect_usd }}


def plus_premium(need):
    return monthly_cost("plus", need) - monthly_cost("basic", need)
