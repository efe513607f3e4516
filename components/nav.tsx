"use client";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { hasRole, type Role } from "@/lib/contracts/auth";
import { UserMenu } from "./auth/user-menu";
import { useMe } from "./auth/use-me";

const links: { href: string; label: string; least: Role }[] = [
  // A trainee sees these too, limited to their own practice node (server/auth/scope.ts).
  { href: "/wizard", label: "Wizard", least: "trainee" },
  { href: "/nodes", label: "Nodes", least: "trainee" },
  { href: "/groups", label: "Groups", least: "viewer" },
  { href: "/health", label: "Health", least: "trainee" },
  { href: "/runs", label: "Runs", least: "trainee" },
  { href: "/practice", label: "Practice", least: "trainee" },
  { href: "/training", label: "Training", least: "trainee" },
  { href: "/audit", label: "Audit", least: "admin" },
  { href: "/users", label: "Users", least: "admin" },
];

export function Nav() {
  const pathname = usePathname();
  const { data: me } = useMe();
  return (
    <div className="flex items-center gap-4">
      <nav aria-label="Main" className="flex gap-1">
        {links
          // Signed out (the sign-in page): no links to pages that would only send you back here.
          .filter((link) => hasRole(me?.user.role, link.least))
          .map((link) => {
            const active = pathname === link.href || pathname.startsWith(`${link.href}/`);
            return (
              <Link
                key={link.href}
                href={link.href}
                aria-current={active ? "page" : undefined}
                className={`rounded px-3 py-1.5 text-sm font-medium ${active ? "bg-slate-900 text-white" : "text-slate-700 hover:bg-slate-200"}`}
              >
                {link.label}
              </Link>
            );
          })}
      </nav>
      <UserMenu />
    </div>
  );
}
