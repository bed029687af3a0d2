"""Who may publish figures: a release is approved by a coordinator (the one national voice)."""

from birge.core.access import ANY, Role, action_register

RELEASE_IMPORT = action_register("stats.release.import", {Role.COORDINATOR: ANY})
