/** Keeps a failing page (or a page whose code could not load) from blanking the whole app. */
import { Component, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

function Crashed() {
  const { t } = useTranslation();
  return (
    <div className="crashed" role="alert">
      <p>{t('app.crashed')}</p>
      <button type="button" className="button secondary" onClick={() => window.location.reload()}>
        {t('app.reload')}
      </button>
    </div>
  );
}

export class ErrorBoundary extends Component<{ children: ReactNode }, { failed: boolean }> {
  override state = { failed: false };

  static getDerivedStateFromError() {
    return { failed: true };
  }

  override render() {
    return this.state.failed ? <Crashed /> : this.props.children;
  }
}
