// Placeholder until this screen is built.
export function Reports() {
  return <p>Chưa có.</p>;
}
