"""Employees area: the list and the employee file."""
