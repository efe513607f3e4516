"use client";
import Link from "next/link";
import { usePathname } from "next/navigation";

const links = [
  { href: "/wizard", label: "Wizard" },
  { href: "/nodes", label: "Nodes" },
  { href: "/runs", label: "Runs" },
];

export function Nav() {
  const pathname = usePathname();
  return (
    <nav aria-label="Main" className="flex gap-1">
      {links.map((link) => {
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
  );
}
