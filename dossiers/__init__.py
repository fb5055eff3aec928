"""Files kept per person (一人一档) and, later, per enterprise (一企一档): read from every other app."""
