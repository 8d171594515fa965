// Placeholder until this screen is built.
export function Members() {
  return <p>Chưa có.</p>;
}
