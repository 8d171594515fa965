// Placeholder until this screen is built.
export function Lifecycle({ memberId }: { memberId: string }) {
  return <p>Chưa có.</p>;
}
