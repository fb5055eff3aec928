"""The expert pool (安全生产专家库) and the technical inspectors (技术检查员): plan items 12, 26."""
