// next/link for the render benchmark's standalone bundle (no Next router there): a plain anchor.
import type { AnchorHTMLAttributes } from "react";

export default function Link(props: AnchorHTMLAttributes<HTMLAnchorElement> & { href: string }) {
  return <a {...props} />;
}
