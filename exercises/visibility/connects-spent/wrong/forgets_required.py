def connects_spent(required, bid, top_slot_at_close, client_interacted):
    charged = top_slot_at_close or client_interacted or RULES["boost.charge_if_outbid_before_interaction"]
    return required + bid if charged else 0
