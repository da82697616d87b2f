def spare_connects(balance, required, planned):
    return balance - required * (1 + planned)


def boost_worth_it(bid, spare, contract_usd, win_chance, boosted_win_chance):
    return (boosted_win_chance - win_chance) * contract_usd > bid * RULES["purchase.price_per_connect_usd"]
