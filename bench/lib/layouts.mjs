// The venue layout the bench scenarios create: one 40-row section, the first 5 rows Premium, the rest Standard.

/**
 * `seats` seats over 40 rows labelled R1..R40 of one "Arena" section, rows 1-5 Premium (€80.00) and the others
 * Standard (€45.00), prices in ISO 4217 minor units. `sectionCategoryId`, when given, is the section's default
 * category (every row names its own, so it changes no seat's category).
 */
export function arenaLayout(seats, sectionCategoryId) {
  return {
    categories: [
      { id: 'premium', name: 'Premium', price: { amount: 8000, currency: 'EUR' } },
      { id: 'standard', name: 'Standard', price: { amount: 4500, currency: 'EUR' } },
    ],
    sections: [
      {
        name: 'Arena',
        ...(sectionCategoryId === undefined ? {} : { categoryId: sectionCategoryId }),
        rows: Array.from({ length: 40 }, (_, r) => ({
          label: `R${r + 1}`,
          categoryId: r < 5 ? 'premium' : 'standard',
          count: seats / 40,
        })),
      },
    ],
  };
}
