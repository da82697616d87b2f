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
#     lesson: spending
# ---

# %% [markdown]
# # Workbook 2: Connects a job requires
#
# Lesson 2 is about spending: every job sets the Connects a proposal costs, your
# balance decides how many proposals you can send, and few outcomes give Connects back.
# These exercises turn that into decisions you can compute.

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
# The figures this lesson uses, as your functions read them from `RULES`.
# After a `None` comes what it means. After a figure that the course's source article
# does not state, or that is not certain, come the month it was last confirmed and how
# sure it is (high, medium or low).

# %%
show_figures("proposal.", "plan.", "expiry.", "rollover.", "returns.", "invites.")


# %% [markdown] quizkit={"exercise": "job-triage", "role": "prompt"}
# ## Is this job worth my Connects?
#
# The article's advice is short: **don't waste Connects on proposals for projects you're not
# a perfect fit for.** This exercise turns it into a rule you can apply to the posts in your
# feed, together with the course's own checks on the job and the client from Lesson 2's “Fit before
# you spend” section (they are not Upwork's advice). There is no single right rule: any sensible one passes, as long as it says no where
# the answer is clearly no, and yes where the job is clearly a perfect fit (every skill asked is yours).
#
# Write `worth_applying(job, balance, min_budget_usd)`:
#
# - `job` is a `dict` describing a job post, with the keys
#   - `"connects"` (`int`): the Connects a proposal requires,
#   - `"skills_asked"` (`int`, 1 or more) and `"skills_matched"` (`int`): how many skills
#     the client asks for, and how many of them you have,
#   - `"budget_usd"` (a number): what the job pays,
#   - `"payment_verified"` (`bool`) and `"client_hires"` (`int`): the client's history.
# - `balance` is an `int`: your Connects now. `min_budget_usd` is the least you accept for a job.
# - Return a `bool`: `True` to apply.
#
# Say **no** when your balance does not cover the Connects, when the budget is below
# `min_budget_usd`, when fewer than three quarters of the skills asked are yours
# (two of three is too few), or when the
# client has neither verified payment nor a single hire. Say **yes**
# when every skill asked is yours, the budget is acceptable, your balance covers the Connects and
# the client has verified payment and has hired before. Between the two (four skills of five, a verified client with no hire
# yet), decide as you would: either answer passes.
#
# <details><summary>Hint 1</summary>
#
# Start with the reasons to say no, one `if` each, returning `False`: a balance that does not cover `job["connects"]`, a budget below `min_budget_usd`, fewer than three quarters of the skills asked, a client with no verified payment and no hire.
#
# </details>
#
# <details><summary>Hint 2</summary>
#
# The skills match is `job["skills_matched"] / job["skills_asked"]`; "fewer than three quarters" is a match below 0.75.
#
# </details>
#
# <details><summary>Hint 3</summary>
#
# After the no's, decide how strict you are: the course applies only when every skill asked is yours and the client has verified payment and has hired before. A slightly looser rule is fine too.
#
# </details>

# %% quizkit={"exercise": "job-triage", "role": "starter"}
def worth_applying(job, balance, min_budget_usd):
    """Whether a job post deserves a proposal: a near-perfect fit, a budget you accept, a real client, Connects to pay for it."""
    apply = True
    return apply


# %% quizkit={"exercise": "job-triage", "role": "check"}
check("job-triage", worth_applying)


# %% [markdown] quizkit={"exercise": "connects-returned", "role": "prompt"}
# ## Which Connects come back this month?
#
# You applied to a dozen jobs this month, and some are still open. Before you plan next
# week's proposals, you want to know how many Connects could come back to your balance, and
# whether withdrawing a proposal would bring its Connects back. A few outcomes give Connects
# back (as Connects, never as money); most do not.
# Upwork's help page names the cases, and the course keeps them in two lists:
#
# - `RULES["returns.returned_reasons"]`: outcomes where the Connects come back
#   (today: client_cancelled_before_contract, removed_by_upwork (Oct 2025 · high)).
# - `RULES["returns.kept_reasons"]`: outcomes where they stay spent
#   (today: declined, other_freelancer_hired, job_expired, withdrawn (Oct 2025 · high)).
#
# Write two functions.
#
# 1. `connects_returned(outcome)`: `outcome` is a `str`, one of the outcome names in those
#    lists. Return a `bool`: `True` when the Connects spent on the proposal come back.
# 2. `connects_back(proposals)`: `proposals` is a `list` of `dict`s, one per proposal, with
#    the keys `"job"` (`str`), `"connects"` (`int`: the Connects the proposal cost you) and
#    `"outcome"` (`str`). Return an `int`: how many Connects come back to your
#    balance for the whole list. Use `connects_returned` to decide each proposal.
#
# For example, if a client cancelled a 14-Connect job before hiring anyone and you were
# declined for a 9-Connect one,
# 14
# Connects come back.
#
# Read the lists from `RULES` instead of copying them into your code: Upwork has changed
# its Connects rules before (for a few weeks it charged Connects to reply to
# invitations).
#
# <details><summary>Hint 1</summary>
#
# Most outcomes keep your Connects. `RULES["returns.returned_reasons"]` lists the only outcomes that give them back; Python's `in` tells whether a value is in a list.
#
# </details>
#
# <details><summary>Hint 2</summary>
#
# `connects_returned(outcome)` needs one line: a test with `in` is already `True` or `False`, so no `if` is needed.
#
# </details>
#
# <details><summary>Hint 3</summary>
#
# For the month, start a total at 0 and go through the proposals; add a proposal's `"connects"` to the total only when `connects_returned(...)` says its outcome gives them back.
#
# </details>
#
# <details><summary>Hint 4</summary>
#
# Python can do such a loop in one line: `sum(x for x in items if test(x))` adds up the items that pass a test. Here, what you add is each proposal's `"connects"`.
#
# </details>

# %% quizkit={"exercise": "connects-returned", "role": "starter"}
def connects_returned(outcome):
    """Whether the Connects spent on a proposal come back after `outcome`."""
    return False


def connects_back(proposals):
    """Connects returned to your balance for a list of finished proposals."""
    total = 0
    return total


# %% quizkit={"exercise": "connects-returned", "role": "check"}
check("connects-returned", connects_returned, connects_back)

# %% [markdown]
# ## What next
#
# When every grading cell says *passed* (or whenever you like: the exercises are optional,
# and the quiz does not need them), go back to Lesson 2 for its quiz, or open Workbook 3
# on proposal visibility.
