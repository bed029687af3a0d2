"""Who may manage the API's machine callers."""

from birge.core.access import ANY, Role, action_register

API_CLIENT_MANAGE = action_register("api.client.manage", {Role.ADMINISTRATOR: ANY})
