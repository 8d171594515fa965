// Placeholder until this screen is built.
export function MemberEdit({ memberId }: { memberId: string }) {
  return <p>Chưa có.</p>;
}
