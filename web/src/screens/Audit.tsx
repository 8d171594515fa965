// Placeholder until this screen is built.
export function Audit() {
  return <p>Chưa có.</p>;
}
