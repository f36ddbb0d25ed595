/**
 * A button that puts something in its own place — a confirmation, a form — and a way back:
 * focus goes to what opened (its title or question, `tabIndex={-1}`) and, on the way back, to
 * the button again. Left alone, the pressed button leaves the page and focus falls to <body>:
 * a keyboard or screen reader user is back at the top, not told what appeared.
 *
 *   const { open, setOpen, opener, opened, closeOnEscape } = useToggleFocus<HTMLButtonElement, HTMLHeadingElement>();
 *   !open ? <button ref={opener} onClick={() => setOpen(true)}>
 *         : <div onKeyDown={closeOnEscape}><h2 ref={opened} tabIndex={-1}>…
 */
import { type KeyboardEvent, useCallback, useEffect, useRef, useState } from 'react';

export function useToggleFocus<Opener extends HTMLElement, Opened extends HTMLElement>() {
  const [open, setOpenState] = useState(false);
  const opener = useRef<Opener>(null);
  const opened = useRef<Opened>(null);
  /** Set by the person's action only: nothing moves on the first render. */
  const moveTo = useRef<'opened' | 'opener' | null>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs once what opened or closed is in the page
  useEffect(() => {
    const target =
      moveTo.current === 'opened' ? opened.current : moveTo.current === 'opener' ? opener.current : null;
    moveTo.current = null;
    target?.focus();
  }, [open]);
  const setOpen = useCallback((next: boolean) => {
    moveTo.current = next ? 'opened' : 'opener';
    setOpenState(next);
  }, []);
  /** On what opened: Escape closes it (back to the opener), as a dialog does. */
  const closeOnEscape = useCallback(
    (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return;
      event.stopPropagation();
      setOpen(false);
    },
    [setOpen],
  );
  return { open, setOpen, opener, opened, closeOnEscape };
}
