# quizkit: the weights between double braces are filled in from the rules, so this attempt types today's.
WEIGHTS = {"photo": {{ section_weight("photo") }}, "title": {{ section_weight("title") }},
           "overview": {{ section_weight("overview") }}, "skills": {{ section_weight("skills") }},
           "portfolio": {{ section_weight("portfolio") }}, "employment": {{ section_weight("employment") }},
           "rate": {{ section_weight("rate") }}, "certifications": {{ section_weight("certifications") }},
           "availability": {{ section_weight("availability") }}}
CREDIT = {"complete": 1, "update": 0.5, "missing": 0}


def completeness(statuses):
    earned = sum(weight * CREDIT[statuses.get(section, "missing")] for section, weight in WEIGHTS.items())
    return round(100 * earned / sum(WEIGHTS.values()))
