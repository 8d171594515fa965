// Placeholder until this screen is built.
export function MemberFile({ memberId }: { memberId: string }) {
  return <p>Chưa có.</p>;
}
