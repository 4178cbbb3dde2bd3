/** A small venue: two sections, a row by shorthand, ranks, an accessible seat, two priced categories. */
export const THEATRE = {
  categories: [
    { id: 'premium', name: 'Premium', price: { amount: 8000, currency: 'EUR' } },
    { id: 'standard', name: 'Standard', price: { amount: 4500, currency: 'EUR' } },
  ],
  sections: [
    {
      name: 'Stalls',
      categoryId: 'standard',
      rows: [
        {
          label: 'A',
          categoryId: 'premium',
          seats: [{ label: '1' }, { label: '2', accessible: true }, { label: '3' }, { label: '4' }],
        },
        { label: 'B', count: 5, firstLabel: 11 },
      ],
    },
    { name: 'Balcony', rank: 5, rows: [{ label: 'A', categoryId: 'standard', count: 3 }] },
  ],
};
