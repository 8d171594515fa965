// Placeholder until this screen is built.
export function Transfers() {
  return <p>Chưa có.</p>;
}
