/* Starts GraphiQL against this server. Sign in with the `login` mutation, then put the token in
   the Headers tab: {"Authorization": "Bearer <token>"}. */
(function () {
  var query = [
    '# Hồ sơ — sign in, then copy the token into the Headers tab below:',
    '#   {"Authorization": "Bearer <token>"}',
    'mutation SignIn {',
    '  login(input: { username: "thachthang", password: "hoso-demo" }) {',
    '    token',
    '    account { username role unit { code name } }',
    '    userErrors { field message code }',
    '  }',
    '}',
    '',
    'query Members {',
    '  members(filter: { search: "nguyen thi" }, first: 10) {',
    '    totalCount',
    '    edges { node { fullName dateOfBirth status unit { name } } }',
    '    pageInfo { hasNextPage endCursor }',
    '  }',
    '}',
    '',
  ].join('\n');
  var fetcher = GraphiQL.createFetcher({ url: '/graphql' });
  ReactDOM.createRoot(document.getElementById('graphiql')).render(
    React.createElement(GraphiQL, { fetcher: fetcher, defaultQuery: query, isHeadersEditorEnabled: true, shouldPersistHeaders: true }),
  );
})();
