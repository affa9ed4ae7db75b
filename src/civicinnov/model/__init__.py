"""The i-team domain model: cities, programmes, challenges, ideas, initiatives, the method, evidence."""
