"""Small widgets and models shared by the areas."""
