"""What happens on a case that the apps above cases act on.

cases is below plans and followups (pyproject's import-linter contract), so its services do
not call them: they send these signals, and plans and followups connect their receivers in
their AppConfig.ready(). A signal is sent inside the service's transaction, with
``Signal.send``: a receiver that raises rolls the whole action back.
"""

from django.dispatch import Signal

# A measure was ordered (cases.services.measure_order), after the case moved to "measure".
# Arguments: measure (Measure), user (User who decided it), start (aware datetime: the moment
# the measure starts, from which its statutory deadlines run).
# plans: the case's one plan is created (before the plan deadline is scheduled, so an empty
# plan never counts as the plan made), then the plan deadline is scheduled.
# followups: the first-follow-up deadline is scheduled, and the first follow-up tied to it.
measure_ordered = Signal()

# An assessment was finished (cases.services.assessment_finish), after its deadline was met.
# Arguments: assessment (Assessment), finished_on (date).
# followups: first follow-ups due later fall due on that day (§ 95).
assessment_finished = Signal()

# A decision was made (cases.decisions.decision_make), after it was saved as decided.
# Arguments: decision (Decision), user (User who made it).
# letters: the decision letter is created and its rendering to PDF queued once the
# transaction commits.
decision_made = Signal()
