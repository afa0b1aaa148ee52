// English: the reference catalogue of what main reports; every other language has exactly these keys and placeholders.
export default {
  'error.unexpected': 'Something went wrong: {detail}',
} as const;
