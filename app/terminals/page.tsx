import { TerminalSessions } from "@/components/terminal/terminal-sessions";

export const dynamic = "force-dynamic";

export default function TerminalsPage() {
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-bold">Terminal sessions</h1>
      <TerminalSessions />
    </div>
  );
}
