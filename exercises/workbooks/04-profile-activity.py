# ---
# jupyter:
#   jupytext:
#     notebook_metadata_filter: quizkit
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
#   quizkit:
#     lesson: profile
# ---

# %% [markdown]
# # Workbook 4: Your profile and plan
#
# Lesson 4 ends with the profile activity: which sections of your profile to complete
# first, and whether a paid plan would serve your workload. These exercises compute
# parts of that analysis.

# %% [markdown] quizkit={"role": "primer"}
# <details><summary>New to Python or to notebooks? Read this first.</summary>
#
# **Run a cell.** Click in a cell, then press Shift+Enter. While it runs, `[*]` shows beside it;
# when it is done, a number such as `[3]`. Run the cells in order, from the top: a cell uses
# what the cells above it made.
#
# **Read the code you change.** Each exercise gives you a code cell with a function in it.
#
# - `def name(a, b):` makes a function called `name`. The lines under it, moved to the right,
#   run each time the function is used, with `a` and `b` set to the values it is given.
# - `return x` ends the function and gives `x` back as its answer.
# - `RULES["plan.plus.monthly_connects"]` is one figure of the rules. The figures this
#   workbook uses are listed below.
# - A line that starts with `#` is a note for people. Python does not run it.
#
# Change the lines inside the function, keep its `def` line, and run the cell again. To try
# the function, add a cell below (press Esc, then B) and call it with your own values, as in
# `name(1, 2)`: the answer shows under the cell.
#
# **Read what `check` prints.** The first line names the exercise and gives the result:
# *passed* when every check passed, *failed* when one did not, *error* when your code stopped
# with an error before it could be checked, *stopped* when it ran too long. Under it, one line
# per check: PASS or FAIL, then what the check found. A FAIL often shows a call of your
# function, what it returned, and the right answer.
#
# **Stuck?** Open the hints under the task, one at a time. Or skip the exercise: the lesson
# and its quiz do not need it.
#
# </details>

# %% [markdown] quizkit={"role": "guide"}
# ## How this workbook works
#
# Run the cells from the top with Shift+Enter. Each exercise has three cells: the task,
# a code cell with starter code for you to change, and a one-line cell that grades your
# code. The grading cell runs the same checks, with the same messages, as the exercise
# in the lesson page, so a workbook and the page always agree.
#
# `check` grades the whole cell that defines your function: keep the imports, constants
# and helper functions your answer needs in that cell. Run the cell again after every
# change, then run the grading cell.
#
# Every exercise is optional: skip any of them, the lesson and its quiz do not need them.
#
# ## Running it on your computer
#
# The notebook alone cannot grade: `check` needs the course's files and its `quizkit`
# package. You need Python 3.11 or newer and a copy of the course's folder (the one the
# site is built from, with `pyproject.toml` and `exercises/` in it). In a terminal, in
# that folder, run:
#
# ```sh
# python3 -m venv .venv
# .venv/bin/pip install -e . notebook
# .venv/bin/jupyter notebook exercises/workbooks
# ```
#
# On Windows, write `python`, `.venv\Scripts\pip` and `.venv\Scripts\jupyter` instead.
# Put this notebook in `exercises/workbooks/` and open it from there: `check` finds the
# exercises from the notebook's folder. If you keep it somewhere else, start with a cell
# that says where the course is: `%env QUIZKIT_CONTENT=/path/to/the/course/exercises`.

# %%
from quizkit.notebook import PLANS, PROFILE_SECTIONS, RULES, check, show_figures

# %% [markdown]
# ## The figures
#
# The profile sections with their weights, from `PROFILE_SECTIONS`, and the figures
# this lesson uses, as your functions read them from `RULES`.
# After a `None` comes what it means. After a figure that the course's source article
# does not state, or that is not certain, come the month it was last confirmed and how
# sure it is (high, medium or low).

# %%
for section in PROFILE_SECTIONS:
    print(f"{section['id']:<20} {section['name']:<32} weight {section['weight']}")
show_figures("bonus.", "plan.", "purchase.")


# %% [markdown] quizkit={"exercise": "completeness", "role": "prompt"}
# ## How complete is my profile?
#
# The article ends with an activity: review your profile and complete or update its sections.
# Which section first? A score helps you decide: it says how complete your profile is, and how
# much each fix would add to it.
#
# The course gives each profile section a weight. The weights are **the course's advice**, a
# rough guess at how much each section helps a client who reads your proposal; Upwork
# publishes no such figures. They are in the list `PROFILE_SECTIONS`, which your code can read
# like `RULES`; each section is a `dict` with `"id"`, `"name"` and `"weight"` (an `int`), for
# example `{"id": "overview", "name": "Overview", "weight": 20}`.
#
# Write `completeness(statuses)`:
#
# - `statuses` is a `dict` from section id (`str`) to its status: `"complete"`,
#   `"update"` (there, but out of date or thin) or `"missing"`. A section that is not in
#   `statuses` is missing.
# - Each section earns its full weight when complete, half of it when it needs an
#   update, and nothing when missing.
# - Return an `int` from 0 to 100: what the sections earn as a percentage of
#   all the weights, computed as `round(100 * earned / total)`.
#
# For example, with four sections weighing 5, 15, 25 and 55, a profile whose first three
# are complete scores 45. Starting the last one, so that it only needs an update, adds 27.5:
# `round(72.5)` is 72, because Python rounds halves to the even neighbour. Completing it
# instead takes the score to 100. The activity lists the fixes the same way:
# the one that adds the most to the score first.
#
# <details><summary>Hint 1</summary>
#
# Go through `PROFILE_SECTIONS`, not through `statuses`: a section you have not listed still counts, as missing.
#
# </details>
#
# <details><summary>Hint 2</summary>
#
# Each section earns a share of its weight: all of it when complete, half of it when it needs an update, nothing when missing. `statuses.get(section["id"], "missing")` gives a section's status with missing as the default.
#
# </details>
#
# <details><summary>Hint 3</summary>
#
# Add up what every section earns, and separately the weights of all sections. The score is `round(100 * earned / total)`.
#
# </details>
#
# <details><summary>Hint 4</summary>
#
# A dictionary from each status to its share (`"complete"` to 1, and so on) saves three `if`s: look a section's status up in it, and multiply by the section's weight.
#
# </details>

# %% quizkit={"exercise": "completeness", "role": "starter"}
def completeness(statuses):
    """Profile completeness from 0 to 100, weighting each section of PROFILE_SECTIONS."""
    earned = 0
    return earned


# %% quizkit={"exercise": "completeness", "role": "check"}
check("completeness", completeness)


# %% [markdown] quizkit={"exercise": "plan-advice", "role": "prompt"}
# ## What does Freelancer Plus really cost me?
#
# The article's activity asks: would a paid plan with more Connects benefit you at this
# stage of your freelance career? Freelancer Plus costs `RULES["plan.plus.price_usd"]` a
# month (about $19.99 (Jan 2026 · low) today; check Upwork's current price) and
# credits 100 Connects, while Freelancer Basic costs
# $0.00 (Oct 2025 · high) and credits 10. On either
# plan you can buy more Connects at `RULES["purchase.price_per_connect_usd"]` each
# ($0.15 (Oct 2025 · high) today). Plus also has features beyond
# Connects, so the useful question is: **for the Connects I use, how much more does Plus
# cost me each month?** If its other features are worth more than that to you, it is a
# good deal.
#
# Write two functions, and read every figure from `RULES`: a plan's allowance is
# `RULES[f"plan.{plan}.monthly_connects"]` and its price `RULES[f"plan.{plan}.price_usd"]`.
#
# 1. `monthly_cost(plan, need)`: `plan` is a plan id (`"basic"` or `"plus"`) and `need`
#    the Connects you use in a month (`int`, 0 or more). Return a `float`: the dollars a
#    month costs on that plan, its price plus the Connects you must buy beyond its
#    allowance.
# 2. `plus_premium(need)`: return a `float`, the dollars a month Freelancer Plus costs
#    **more** than Freelancer Basic for `need` Connects (negative if Plus would cost less).
#
# For example, using 50 Connects a month costs $6.00 on
# Basic and $19.99 on Plus, a premium of
# $13.99. Answers are checked to the cent.
#
# <details><summary>Hint 1</summary>
#
# For one plan, a month costs the plan's price plus the Connects you must buy on top of its allowance. When the allowance covers your need, you buy nothing.
#
# </details>
#
# <details><summary>Hint 2</summary>
#
# The Connects to buy are `max(0, need - RULES[f"plan.{plan}.monthly_connects"])`; they cost `RULES["purchase.price_per_connect_usd"]` each, and the plan costs `RULES[f"plan.{plan}.price_usd"]` a month.
#
# </details>
#
# <details><summary>Hint 3</summary>
#
# For the premium, don't reason about allowances again: you already have a function that prices a month on either plan. Call it twice with the same `need`.
#
# </details>
#
# <details><summary>Hint 4</summary>
#
# `plus_premium` needs one line: the Plus month minus the Basic month, each priced by `monthly_cost` for the same `need`.
#
# </details>

# %% quizkit={"exercise": "plan-advice", "role": "starter"}
def monthly_cost(plan, need):
    """Dollars a month for `need` Connects on `plan`: its price plus the Connects to buy."""
    return 0.0


def plus_premium(need):
    """Dollars a month Freelancer Plus costs more than Freelancer Basic for `need` Connects."""
    return 0.0


# %% quizkit={"exercise": "plan-advice", "role": "check"}
check("plan-advice", monthly_cost, plus_premium)

# %% [markdown]
# ## What next
#
# When every grading cell says *passed* (or whenever you like: the exercises are optional,
# and the activity and the quiz do not need them), go back to Lesson 4: try the profile
# activity with your own profile, then take its quiz.
