def connects_to_buy(balance, required, planned, bid):
    return max(0, required * (1 + planned) - balance)


def boost_worth_it(bid, to_buy, contract_usd, win_chance, boosted_win_chance):
    return (boosted_win_chance - win_chance) * contract_usd > bid * RULES["purchase.price_per_connect_usd"]
