"""Who may announce through the channels, approve an alert to everyone, and follow deliveries."""

from birge.core.access import ANY, Role, action_register

# Follow every publication's deliveries, per channel.
PUBLICATION_VIEW = action_register(
    "channels.publication.view", {Role.COORDINATOR: ANY, Role.ADMINISTRATOR: ANY}
)
# Write an alert and pick its channels and audience.
PUBLICATION_CREATE = action_register("channels.publication.create", {Role.COORDINATOR: ANY})
# The second coordinator of an urgent alert to everyone (never the one who wrote it).
PUBLICATION_APPROVE = action_register("channels.publication.approve", {Role.COORDINATOR: ANY})
# Send a failed delivery again, or stop one not yet sent.
DELIVERY_RETRY = action_register("channels.delivery.retry", {Role.COORDINATOR: ANY})
