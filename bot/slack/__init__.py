"""The Slack adapter: slash commands, Block Kit, modals, reactions, App Home, manifest."""
