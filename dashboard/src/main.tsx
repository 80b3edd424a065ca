import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { SessionGate } from './SessionGate';
import { FleetStore, liveUrl } from './live/fleetStore';
import { StoreContext } from './live/hooks';
import './styles.css';

const store = new FleetStore(liveUrl());
let started = false;
// /live opens once the session is known (after a login when the server asks for one)
const startLive = () => {
  if (!started) {
    started = true;
    store.start();
  }
};

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <SessionGate onReady={startLive}>
      <StoreContext.Provider value={store}>
        <App />
      </StoreContext.Provider>
    </SessionGate>
  </StrictMode>,
);
