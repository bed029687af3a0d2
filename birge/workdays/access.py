"""Who may change the working-day calendar that every legal deadline is counted on."""

from birge.core.access import ANY, Role, action_register

CALENDAR_EDIT = action_register("workdays.calendar.edit", {Role.ADMINISTRATOR: ANY})
